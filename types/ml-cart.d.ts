/** ml-cart ships no types; this declares the part ratewatch uses (DecisionTreeRegression). */
declare module 'ml-cart' {
  export interface DecisionTreeOptions {
    maxDepth?: number;
    minNumSamples?: number;
    gainFunction?: string;
    splitFunction?: string;
  }
  export class DecisionTreeRegression {
    constructor(options?: DecisionTreeOptions);
    train(features: number[][], values: number[]): void;
    predict(features: number[][]): number[];
    toJSON(): Record<string, unknown>;
    static load(model: Record<string, unknown>): DecisionTreeRegression;
  }
}
