/** A schema change: statements run in order. DDL auto-commits in MySQL, so each statement must be re-runnable. */
export interface Migration {
  readonly name: string;
  readonly statements: readonly string[];
}
