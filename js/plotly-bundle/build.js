'use strict';
// Build awrach_analysis/assets/plotly-awrach.min.js from entry.js (run by `make plotly-bundle`).
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const assets = path.resolve(__dirname, '..', '..', 'awrach_analysis', 'assets');
const outfile = path.join(assets, 'plotly-awrach.min.js');
const pkg = require('plotly.js/package.json');

esbuild
    .build({
        entryPoints: [path.join(__dirname, 'entry.js')],
        outfile,
        format: 'iife',
        globalName: 'Plotly',
        bundle: true,
        minify: true,
        legalComments: 'none',
        target: 'es2016',
        // Only the maplibre map traces import CSS; they are not in the bundle.
        loader: { '.css': 'empty' },
        alias: { stream: 'stream-browserify' },
        // A page with require.js must not turn the bundle into an AMD module: window.Plotly
        // is always set (nbconvert's lab template loads require.js).
        define: { global: 'window', 'define.amd': 'false' },
        banner: {
            js: `/*! plotly.js v${pkg.version} (awrach-analysis partial bundle: bar, choropleth, ` +
                'scattergeo, scatter; locales fr, ar) | MIT License | see plotly.js.LICENSE */',
        },
        logLevel: 'warning',
    })
    .then(() => {
        fs.copyFileSync(
            require.resolve('plotly.js/LICENSE'),
            path.join(assets, 'plotly.js.LICENSE'),
        );
        const size = fs.statSync(outfile).size;
        console.log(`${path.relative(process.cwd(), outfile)}: plotly.js ${pkg.version}, ${size} bytes`);
    })
    .catch(() => process.exit(1));
