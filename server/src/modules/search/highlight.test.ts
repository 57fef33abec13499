import { describe, expect, it } from "vitest";
import { escapeHtml, highlightAll, matcherFor, snippetOf } from "./highlight.js";
import { parseSearchQuery } from "./search-query.js";

const matcher = (q: string) => matcherFor(parseSearchQuery(q));

describe("highlightAll", () => {
  it("marks matched words, the last as a prefix, whatever their case or accents", () => {
    expect(highlightAll("Invoice for CAFÉ Müller", matcher("cafe invo"))).toBe("<mark>Invoice</mark> for <mark>CAFÉ</mark> Müller");
  });

  it("escapes everything else, so markup in the text stays text", () => {
    expect(highlightAll(`<b>bold</b> & <script>alert("x")</script>`, matcher("script"))).toBe("&lt;b&gt;bold&lt;/b&gt; &amp; &lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt;");
  });

  it("gives private-use characters typed by a customer no meaning", () => {
    expect(highlightAll("\uE000evil\uE001 word", matcher("word"))).toBe("\uE000evil\uE001 <mark>word</mark>");
  });

  it("marks the parts of an email that matched", () => {
    expect(highlightAll("bart.quigley@example.org", matcher("bart.quig"))).toBe("<mark>bart</mark>.<mark>quigley</mark>@example.org");
  });

  it("keeps null as null", () => {
    expect(highlightAll(null, matcher("x"))).toBeNull();
  });
});

describe("snippetOf", () => {
  const filler = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(" ");

  it("returns a short text whole", () => {
    expect(snippetOf("Hello\n\n  there  world", matcher("there"))).toBe("Hello <mark>there</mark> world");
  });

  it("cuts about 200 characters around the first match at spaces, with ellipses", () => {
    const text = `${filler(100)} needle ${filler(100)}`;
    const snippet = snippetOf(text, matcher("needle"));
    expect(snippet).toMatch(/^…word\d+ .* <mark>needle<\/mark> .* word\d+…$/);
    expect(snippet.length).toBeGreaterThan(150);
    expect(snippet.length).toBeLessThan(240);
  });

  it("starts at the beginning when nothing in the text matches the words", () => {
    expect(snippetOf(`${filler(100)}`, matcher("absent"))).toMatch(/^word0 word1 .*…$/);
  });

  it("never cuts an emoji or a letter with its accents in half", () => {
    const text = `${"👩‍👩‍👧".repeat(40)}needle${"😀".repeat(150)}`;
    const snippet = snippetOf(text, matcher("needle"));
    expect(snippet).toContain("<mark>needle</mark>");
    expect(snippet).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(snippet.replace(/^…/, "")).toMatch(/^👩‍👩‍👧/);
  });
});

describe("escapeHtml", () => {
  it("escapes the five characters that matter in HTML text and attributes", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  });
});
