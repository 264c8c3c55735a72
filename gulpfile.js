// Copies what tsc does not: node icons, codex files and the default reminder templates.
const { src, dest, task } = require('gulp');

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
