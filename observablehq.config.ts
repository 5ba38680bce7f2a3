// The report site (Observable Framework). Pages are reports/*.md; `npm run build` writes dist/.

export default {
  root: "reports",
  // `leadcal build --out <dir>` (and the tests) build elsewhere; `npm run build` writes dist/.
  output: process.env.LEADCAL_SITE_OUT ?? "dist",
  title: "leadcal",
  pages: [
    { name: "Overview", path: "/" },
    { name: "Funnel", path: "/funnel" },
    { name: "Cost per SQL", path: "/cost-per-sql" },
    { name: "Service levels", path: "/service-levels" },
    { name: "Definition", path: "/definition" },
    { name: "Model", path: "/model" },
    { name: "Thresholds", path: "/thresholds" },
    { name: "Data", path: "/data" },
  ],
  // Inputs is imported from node_modules on each page, which drops its stylesheet: bring it back.
  // (This also drops Framework's web-font link, so the site loads nothing from outside.)
  globalStylesheets: ["observablehq:stdlib/inputs.css"],
  style: "style.css",
  // An empty icon, so the browser does not ask the server for /favicon.ico.
  head: '<link rel="icon" href="data:,">',
  search: false,
  pager: false,
  toc: false,
  footer: "Built by leadcal from the loaded CRM data. Aggregates only: no lead is identifiable.",
};
