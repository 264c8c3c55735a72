// n8n-core writes instance settings under N8N_USER_FOLDER the moment a node context is created,
// and reads both variables at load time: set them before any test file requires it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'dunning-n8n-'));
process.env.N8N_ENCRYPTION_KEY ??= 'test-only-encryption-key';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
