/**
 * Run by Jest around every test file (setupFilesAfterEnv). n8n-core's SSH client manager, a
 * service its execution contexts create on first use, keeps a 60 s cleanup interval until
 * n8n shuts down; left running, it keeps Jest from ending on its own. It is not exported from
 * n8n-core's index, so it is taken from its module. Started before the tests (on the real
 * clock, so that a test's fake clock holds only the test's own timers) and shut down after them
 * with its own `onShutdown()`, as n8n does on exit.
 */
import { Container } from '@n8n/di';
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';

beforeAll(() => {
	Container.get(SSHClientsManager);
});

afterAll(() => {
	Container.get(SSHClientsManager).onShutdown();
});
