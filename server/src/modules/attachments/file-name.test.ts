import { describe, expect, it } from "vitest";
import { contentDisposition, sanitiseFileName } from "./file-name.js";

describe("sanitiseFileName", () => {
  it("keeps only the last path segment of Unix and Windows paths", () => {
    expect(sanitiseFileName("../../etc/passwd")).toBe("passwd");
    expect(sanitiseFileName("..\\..\\Windows\\system32\\evil.dll")).toBe("evil.dll");
    expect(sanitiseFileName("C:\\Users\\ana\\Desktop\\invoice.pdf")).toBe("invoice.pdf");
    expect(sanitiseFileName("/absolute/path/report.txt")).toBe("report.txt");
  });

  it("removes control and bidi characters and collapses whitespace", () => {
    expect(sanitiseFileName("in\u0000vo\u0007ice\r\n.pdf")).toBe("invoice.pdf");
    expect(sanitiseFileName("photo\u202Egpj.exe")).toBe("photogpj.exe");
    expect(sanitiseFileName("  my \t  notes .txt  ")).toBe("my notes .txt");
  });

  it("names nothing, dots and blank names 'file'", () => {
    for (const raw of [undefined, "", "   ", ".", "..", "../", "a/..", "\u0000"]) {
      expect(sanitiseFileName(raw), JSON.stringify(raw)).toBe("file");
    }
  });

  it("caps the name at 200 characters, keeping the extension and whole characters", () => {
    const long = `${"a".repeat(300)}.pdf`;
    expect(sanitiseFileName(long)).toBe(`${"a".repeat(196)}.pdf`);
    const emoji = sanitiseFileName("😀".repeat(250));
    expect(Array.from(emoji)).toHaveLength(200);
    expect(emoji).toBe("😀".repeat(200));
  });

  it("keeps ordinary names, including non-Latin ones, as they are", () => {
    expect(sanitiseFileName("Rechnung März 2026.pdf")).toBe("Rechnung März 2026.pdf");
    expect(sanitiseFileName("見積書.xlsx")).toBe("見積書.xlsx");
    expect(sanitiseFileName(".env.example")).toBe(".env.example");
  });
});

describe("contentDisposition", () => {
  it("gives an ASCII fallback and the exact name as RFC 5987 UTF-8", () => {
    expect(contentDisposition("attachment", 'say "hi"\\.txt')).toBe(`attachment; filename="say _hi__.txt"; filename*=UTF-8''say%20%22hi%22%5C.txt`);
    expect(contentDisposition("inline", "naïve (1)*.png")).toBe(`inline; filename="na_ve (1)*.png"; filename*=UTF-8''na%C3%AFve%20%281%29%2A.png`);
    expect(contentDisposition("inline", "見積書.pdf")).toBe(`inline; filename="___.pdf"; filename*=UTF-8''%E8%A6%8B%E7%A9%8D%E6%9B%B8.pdf`);
  });
});
