// Copies what tsc does not: node icons, codex files and the default reminder templates.
const { rmSync } = require('node:fs');
const { src, dest, task } = require('gulp');

// The build starts from an empty dist/, so a node or module deleted from the sources is not
// shipped from an earlier build (package.json `files` takes every .js under dist/).
task('clean', (done) => {
	rmSync('dist', { recursive: true, force: true });
	done();
});

task('build:assets', () =>
	src(
		[
			'nodes/**/*.{png,svg,json}',
			'credentials/**/*.{png,svg}',
			'lib/templates/defaults/**/*',
		],
		{ base: '.', encoding: false },
	).pipe(dest('dist')),
);
