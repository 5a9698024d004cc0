import { openStorage } from '../storage/open-storage.js';
import type { Command } from './command.js';

export const migrateCommand: Command = {
  name: 'migrate',
  usage: 'migrate',
  summary: 'create the database if missing and apply pending migrations (the server also does this on start)',
  async run(context) {
    const applied: string[] = [];
    const storage = await openStorage(context.config, { info: (message) => applied.push(message) });
    await storage.close();
    context.stderr.write(applied.length > 0 ? `${applied.join('\n')}\n` : 'the schema is up to date\n');
    return 0;
  },
};
