// Site-wide settings: read once by the configuration (src/config), which applies SITE_URL, and handed to layouts, feeds and search.

/** Site settings shared by every page and feed. */
export interface SiteSettings {
  /** Absolute base URL with no trailing slash, e.g. https://news.example.org */
  url: string;
  title: string;
  description: string;
  /** BCP 47 language tag for `<html lang>`, feeds and the search index. */
  language: string;
  /** IANA time zone in which datelines are shown and date-only articles are dated. */
  timezone: string;
  /** Authority for Atom `tag:` ids; fixed so ids survive a change of domain (RFC 4151). */
  tagAuthority: string;
}

const site: SiteSettings = {
  url: "https://broadsheet.example.org",
  title: "Broadsheet",
  description: "A news archive.",
  language: "en",
  timezone: "Asia/Jerusalem",
  tagAuthority: "broadsheet.example.org,2026",
};

export default site;
