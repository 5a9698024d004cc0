import type { AlertStore } from '../alerts/alert-store.js';
import type { Config } from '../config.js';
import { createAlertStore } from './alerts.js';
import { type ApiCallReads, createApiCallReads } from './api-call-reads.js';
import { type ApiCallStore, createApiCallStore } from './api-calls.js';
import { type ApiModelStore, createApiModelStore } from './api-models.js';
import { type BandStore, createApiBandStore, createBandStore } from './bands.js';
import { type Catalog, createCatalogStore } from './catalogs.js';
import { type CountStore, createCountStore } from './counts.js';
import { createPool, ensureDatabase, type Pool } from './db.js';
import { createDeliveryStore, type DeliveryStore } from './deliveries.js';
import { createEvaluationRunStore, type EvaluationRunStore } from './evaluation-runs.js';
import { createFindingStore, type FindingStore } from './findings.js';
import { type MigrateLogger, migrate } from './migrate.js';
import { createModelStore, type ModelStore } from './models.js';
import { createMuteStore, type MuteStore } from './mutes.js';
import { createSettingStore, type SettingStore } from './settings.js';
import { type ChartUploadStore, createChartUploadStore } from './slack-chart-uploads.js';
import { createSourceStore, type SourceStore } from './sources.js';

/** MySQL, migrated, with the stores built on it: what every entry point (server, CLI) needs first. */
export interface Storage {
  readonly pool: Pool;
  readonly sources: SourceStore;
  readonly counts: CountStore;
  readonly apiCalls: ApiCallStore;
  /** What evaluating and charting API series read. */
  readonly apiReads: ApiCallReads;
  /** APIs' trees per training cut-off. */
  readonly apiModels: ApiModelStore;
  readonly alerts: AlertStore;
  /** The outbox: what each alert change still owes Slack, email and escalation. */
  readonly deliveries: DeliveryStore;
  readonly findings: FindingStore;
  /** What the hourly run expects of each series' coming hour, for the ticks. */
  readonly bands: BandStore;
  /** The same for each API's coming hour (`api_bands`). */
  readonly apiBands: BandStore;
  readonly models: ModelStore;
  readonly runs: EvaluationRunStore;
  readonly mutes: MuteStore;
  /** Alert charts owed to (or uploaded into) Slack card threads: one per alert and severity. */
  readonly chartUploads: ChartUploadStore;
  /** Values made once and shared by every process (the generated link secret). */
  readonly settings: SettingStore;
  readonly catalogs: ReadonlyMap<number, Catalog>;
  close(): Promise<void>;
}

/** Creates the database if missing, migrates it, and builds the stores. */
export async function openStorage(
  config: Pick<Config, 'mysqlUrl' | 'mysqlPoolSize'>,
  logger?: MigrateLogger,
): Promise<Storage> {
  await ensureDatabase(config.mysqlUrl);
  const pool = createPool({ url: config.mysqlUrl, connectionLimit: config.mysqlPoolSize });
  try {
    await migrate(pool, { logger });
    return {
      pool,
      sources: createSourceStore(pool),
      counts: createCountStore(pool),
      apiCalls: createApiCallStore(pool),
      apiReads: createApiCallReads(pool),
      apiModels: createApiModelStore(pool),
      alerts: createAlertStore(pool),
      deliveries: createDeliveryStore(pool),
      findings: createFindingStore(pool),
      bands: createBandStore(pool),
      apiBands: createApiBandStore(pool),
      models: createModelStore(pool),
      runs: createEvaluationRunStore(pool),
      mutes: createMuteStore(pool),
      chartUploads: createChartUploadStore(pool),
      settings: createSettingStore(pool),
      catalogs: await createCatalogStore(pool).loadCatalogs(),
      close: () => pool.end(),
    };
  } catch (error) {
    await pool.end();
    throw error;
  }
}
