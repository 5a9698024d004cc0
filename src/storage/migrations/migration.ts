/**
 * A schema change: statements run in order. DDL auto-commits in MySQL, so each statement must be re-runnable:
 * `CREATE … IF NOT EXISTS`, `INSERT IGNORE`, or — for an `ALTER TABLE`, which MySQL 8 cannot make conditional
 * itself — a guarded statement that runs only while its `unless` query returns no row.
 */
export interface Migration {
  readonly name: string;
  readonly statements: readonly (string | GuardedStatement)[];
}

/** A statement that runs unless `unless` (a SELECT, e.g. of information_schema) finds it already applied. */
export interface GuardedStatement {
  readonly unless: string;
  readonly sql: string;
}

/** A guard: the column exists in this database's table. */
export function columnExists(table: string, column: string): string {
  return `SELECT 1 FROM information_schema.columns
  WHERE table_schema = DATABASE() AND table_name = '${table}' AND column_name = '${column}'`;
}
