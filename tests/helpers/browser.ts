// Browser-test tooling: the static server and Debian's chromium, shared with the search benchmark and screenshot script.
export { launchChromium as launchBrowser, serveSite as serve, type SiteServer } from "../../scripts/bench/search-payload.ts";
