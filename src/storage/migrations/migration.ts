/**
 * A schema change: statements run in order. DDL auto-commits in MySQL, so each statement must be re-runnable:
 * `CREATE … IF NOT EXISTS` where both servers have it; an `ALTER` that neither server can guard (MySQL 8 has no
 * `ADD COLUMN IF NOT EXISTS`) is given with the error codes that mean "already done", which then count as success.
 */
export type MigrationStatement =
  | string
  | { readonly sql: string; readonly alreadyDone: readonly AlreadyDoneCode[] };

/** Errors an `ALTER` run a second time raises on both MySQL 8 and MariaDB 10.11. */
export type AlreadyDoneCode =
  | 'ER_DUP_FIELDNAME'
  | 'ER_DUP_KEYNAME'
  | 'ER_CANT_DROP_FIELD_OR_KEY'
  /** A column renamed before (`CHANGE COLUMN old new`): `old` is gone. */
  | 'ER_BAD_FIELD_ERROR';

export interface Migration {
  readonly name: string;
  readonly statements: readonly MigrationStatement[];
}
