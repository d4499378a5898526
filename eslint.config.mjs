/**
 * ESLint 9 flat config for `npm run lint`: exactly the rule set n8n's verification scan
 * (`@n8n/scan-community-package`) lints community packages with — its own exported
 * `buildScanConfig()`, which wires `@n8n/eslint-plugin-community-nodes` (recommended) together
 * with `eslint-plugin-n8n-nodes-base` (community / credentials / nodes rule sets) — so a
 * developer sees the scan's findings before CI does. `npm run scan` runs the scan itself on
 * the source and on the packed tarball.
 */
import { buildScanConfig } from '@n8n/scan-community-package/scanner/scanner.mjs';

export default [
	{ ignores: ['dist/**', 'build/**', 'node_modules/**', '.cache/**', 'coverage/**'] },
	...(await buildScanConfig()),
];
