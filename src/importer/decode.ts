// Decodes an input file's bytes to text: UTF-8 (with or without BOM), or Latin-1/Windows-1252.
import chardet from "chardet";
import iconv from "iconv-lite";

const SINGLE_BYTE = /^(ISO-8859-\d+|windows-125\d)$/i;

/** Returns the file's text, or throws an error whose message completes "<file> ...". */
export function decodeInput(bytes: Buffer): string {
  if (bytes.length === 0) throw new Error("is empty");
  if (bytes.includes(0)) {
    // UTF-16 with a byte-order mark is text despite its NUL bytes.
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return checkNotEmpty(iconv.decode(bytes, "utf-16le"));
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return checkNotEmpty(iconv.decode(bytes, "utf-16be"));
    throw new Error("looks like a binary file, not text");
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const detected = chardet.detect(bytes);
    if (detected !== null && !SINGLE_BYTE.test(detected)) {
      throw new Error(`is not valid UTF-8 and looks like ${detected}; convert it to UTF-8 first`);
    }
    // Windows-1252 is a superset of Latin-1's printable characters, so it reads both.
    text = iconv.decode(bytes, "windows-1252");
  }
  return checkNotEmpty(text.replace(/^\uFEFF/, ""));
}

function checkNotEmpty(text: string): string {
  if (text.replace(/^\uFEFF/, "").trim() === "") throw new Error("is empty");
  return text;
}
