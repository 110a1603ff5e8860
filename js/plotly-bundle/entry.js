'use strict';
// The plotly.js bundle of awrach-analysis: only the trace types its figures use
// (scatter is in the core; bar; choropleth and scattergeo for maps) and the fr and ar
// locales. `make plotly-bundle` builds it into awrach_analysis/assets/.
var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/choropleth'),
    require('plotly.js/lib/scattergeo'),
    require('plotly.js/lib/locales/fr'),
    require('plotly.js/lib/locales/ar'),
]);

module.exports = Plotly;
