/** What globalSetup hands the test files (they run in other module registries). */
import { sandboxDir } from '../../scripts/lib/paths';
import type { Owner } from '../../scripts/lib/rest';
import type { ImportedWorkflow, SandboxCredential } from '../../scripts/sandbox';

export const E2E_STATE_FILE = () => sandboxDir('e2e', 'state.json');
export const E2E_TIMINGS_FILE = () => sandboxDir('e2e', 'timings.json');
export const E2E_SCREENSHOTS_DIR = () => sandboxDir('e2e', 'screenshots');

export interface E2eState {
	url: string;
	owner: Owner;
	standIns: { kanfang123: string; aicc: string; incs: string };
	credentials: Record<string, SandboxCredential & { id: string }>;
	workflows: ImportedWorkflow[];
	missing: { nodes: string[]; credentials: string[] };
	logFile: string;
	timings: { installSeconds: number; startSeconds: number; totalSeconds: number; began: number };
}
