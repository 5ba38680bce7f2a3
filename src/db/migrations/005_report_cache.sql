-- The report pages' data, computed ahead by the commands that change their inputs (src/report/cache.ts):
-- one row per page with the fingerprint of the inputs it was computed from. A data loader prints the
-- stored JSON only when its fingerprint matches the current inputs; otherwise it computes the page.
-- Aggregates only, as every page's JSON.
create table report_cache (
  page         varchar primary key,
  fingerprint  varchar not null,
  json         varchar not null,
  computed_at  timestamp not null
);
