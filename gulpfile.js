const path = require('path');
const { task, src, dest } = require('gulp');

// Copies node and credential icons next to the compiled JavaScript so n8n can load them
// from `dist/` (the `icon: { light: 'file:foo.svg', dark: 'file:foo.dark.svg' }` paths are
// relative to the built file): nodes/<Node>/*.svg and credentials/icons/*.svg, both variants.
function copyIcons() {
	const nodeSource = path.resolve('nodes', '**', '*.{png,svg}');
	const nodeDestination = path.resolve('dist', 'nodes');
	src(nodeSource, { encoding: false }).pipe(dest(nodeDestination));

	const credSource = path.resolve('credentials', '**', '*.{png,svg}');
	const credDestination = path.resolve('dist', 'credentials');
	return src(credSource, { encoding: false }).pipe(dest(credDestination));
}

task('build:icons', copyIcons);
