import { describe, expect, it } from "vitest";
import { createFeedMarkdown, createMarkdown } from "../../src/markdown/index.ts";

const base = "https://news.test/2024/02/01/story/";

describe("createMarkdown", () => {
  it("escapes raw HTML and keeps quotes and dashes as written", () => {
    expect(createMarkdown().render('<script>x</script> "quoted" -- dash')).toBe(
      "<p>&lt;script&gt;x&lt;/script&gt; &quot;quoted&quot; -- dash</p>\n",
    );
  });

  it("keeps links and pictures as written, for the article page", () => {
    expect(createMarkdown().render("[a](/topics/x/) ![p](photo.jpg)")).toBe(
      '<p><a href="/topics/x/">a</a> <img src="photo.jpg" alt="p"></p>\n',
    );
  });
});

describe("createFeedMarkdown", () => {
  const feed = createFeedMarkdown();

  it("makes relative, root-relative and parent links absolute against the article's address", () => {
    const html = feed.render("[a](/topics/x/) [b](next/) [c](../a?b=1&c=2#h)", base);
    expect(html).toBe(
      '<p><a href="https://news.test/topics/x/">a</a> <a href="https://news.test/2024/02/01/story/next/">b</a> ' +
        '<a href="https://news.test/2024/02/01/a?b=1&amp;c=2#h">c</a></p>\n',
    );
  });

  it("makes a picture's address absolute and closes void elements, as feeds carried them", () => {
    expect(feed.render("![Cranes](photo.jpg)\n\n---\n\nline  \nbreak", base)).toBe(
      '<p><img src="https://news.test/2024/02/01/story/photo.jpg" alt="Cranes" /></p>\n<hr />\n<p>line<br />\nbreak</p>\n',
    );
  });

  it("keeps absolute and other-scheme links, normalised, and leaves an invalid URL as written", () => {
    expect(feed.render("<https://Example.COM/a> [m](mailto:desk@news.test) [bad](https://news.test:99999/)", base)).toBe(
      '<p><a href="https://example.com/a">https://Example.COM/a</a> <a href="mailto:desk@news.test">m</a> <a href="https://news.test:99999/">bad</a></p>\n',
    );
  });

  it("escapes raw HTML as the page renderer does", () => {
    expect(feed.render('<a href="/x">x</a>', base)).toBe("<p>&lt;a href=&quot;/x&quot;&gt;x&lt;/a&gt;</p>\n");
  });
});
