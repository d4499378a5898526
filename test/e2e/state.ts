/** What globalSetup hands the test files (they run in other module registries). */
import type { LineId } from '../../scripts/lib/n8n-lines';
import { selectedLine } from '../../scripts/lib/n8n-lines';
import { sandboxDir } from '../../scripts/lib/paths';
import type { Owner } from '../../scripts/lib/rest';
import type { ImportedWorkflow, SandboxCredential } from '../../scripts/sandbox';

/** The n8n line this e2e run is for (N8N_LINE, default 2); each line has its own folder. */
export const E2E_LINE = () => selectedLine([]);
export const E2E_DIR = () => sandboxDir(`e2e-n8n${E2E_LINE().id}`);
export const E2E_STATE_FILE = () => `${E2E_DIR()}/state.json`;
export const E2E_TIMINGS_FILE = () => `${E2E_DIR()}/timings.json`;
export const E2E_SCREENSHOTS_DIR = () => `${E2E_DIR()}/screenshots`;

export interface E2eState {
	/** The line and the exact n8n version the suite runs against. */
	line: LineId;
	n8nVersion: string;
	url: string;
	owner: Owner;
	standIns: { kanfang123: string; aicc: string; incs: string; openai: string };
	credentials: Record<string, SandboxCredential & { id: string }>;
	workflows: ImportedWorkflow[];
	missing: { nodes: string[]; credentials: string[] };
	logFile: string;
	timings: { installSeconds: number; startSeconds: number; totalSeconds: number; began: number };
}
