const HOUR_MS = 3_600_000;

/**
 * The training cut-off of the models that judge the hour starting at `hourStart`: trees are retrained every
 * `retrainHours` hours on the history before each multiple of that period (UTC), so hour 17:00 with daily
 * retraining is judged by trees trained on everything before 00:00 that day. Live and backtest share this rule,
 * which is what makes them agree.
 */
export function modelCutoff(hourStart: number, retrainHours: number): number {
  const period = retrainHours * HOUR_MS;
  return Math.floor(hourStart / period) * period;
}
