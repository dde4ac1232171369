import fsp from 'node:fs/promises';
import { FILE_NAME_MAX, FILE_TYPES, type FileContentType } from '@switchboard/protocol';
import { fileTypeFromFile } from 'file-type';
import sharp, { type Metadata } from 'sharp';
import { AppError } from '../../errors.js';

/** How much of the start of a file is read to recognise text and markup. */
const SNIFF_BYTES = 64 * 1024;

/**
 * Markup a browser would run or render. Found anywhere in the first 64 KB of any upload it is refused:
 * an HTML or SVG file named `.txt` / `.png`, or a polyglot (a valid PNG, GIF or PDF that is also HTML).
 */
const MARKUP =
  /<\s*(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|script[\s>/]|svg[\s>/]|iframe[\s>/]|object[\s>/]|embed[\s>/]|\?xml\s)/i;

const SHARP_FORMAT: Partial<Record<FileContentType, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/webp': 'webp',
  'image/gif': 'gif',
};

export interface Inspected {
  contentType: FileContentType;
  kind: 'image' | 'document';
  width: number | null;
  height: number | null;
}

/**
 * Keep a name as metadata: the last path segment, control characters and bidi overrides removed, at most
 * FILE_NAME_MAX characters. It is never used as a path and always rendered as text.
 */
export function cleanName(raw: string | undefined): string {
  const last = (raw ?? '').split(/[/\\]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const cleaned = last.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  return (cleaned || 'file').slice(0, FILE_NAME_MAX);
}

function extensionOf(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : undefined;
}

function isPlainText(head: Buffer, whole: boolean): boolean {
  if (head.includes(0)) return false;
  // A multi-byte character may be cut at the window's end: drop up to 3 trailing bytes before decoding.
  for (let cut = 0; cut <= (whole ? 0 : 3); cut++) {
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, head.length - cut));
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters mark binary data
      return !/[\u0001-\u0008\u000e-\u001a\u001c-\u001f]/.test(text);
    } catch {}
  }
  return false;
}

/**
 * Decide what an uploaded file is from its bytes: file-type's magic numbers (DOCX by its zip entries),
 * else UTF-8 text without markup. Refuses an unlisted type, a name whose extension says otherwise, markup
 * anywhere in the first 64 KB, an image sharp cannot read or whose real format differs, and an image of
 * more than `maxPixels` pixels (read from the header, nothing decoded).
 */
export async function inspectUpload(file: string, name: string, maxPixels: number): Promise<Inspected> {
  const handle = await fsp.open(file, 'r');
  let head: Buffer;
  let size: number;
  try {
    size = (await handle.stat()).size;
    const buf = Buffer.alloc(Math.min(SNIFF_BYTES, size));
    await handle.read(buf, 0, buf.length, 0);
    head = buf;
  } finally {
    await handle.close();
  }
  if (size === 0) throw new AppError('file_type_refused', 'the file is empty');
  if (MARKUP.test(head.toString('latin1'))) {
    throw new AppError('file_type_refused', 'HTML, SVG or XML markup is not accepted in an upload');
  }
  const sniffed = await fileTypeFromFile(file);
  let contentType: FileContentType;
  if (sniffed) {
    if (!(sniffed.mime in FILE_TYPES))
      throw new AppError('file_type_refused', `${sniffed.mime} files are not accepted`);
    contentType = sniffed.mime as FileContentType;
  } else if (isPlainText(head, size <= SNIFF_BYTES)) {
    contentType = 'text/plain';
  } else {
    throw new AppError('file_type_refused', 'the file is not an accepted type');
  }
  const type = FILE_TYPES[contentType];
  const ext = extensionOf(name);
  if (ext !== undefined && !(type.extensions as readonly string[]).includes(ext)) {
    throw new AppError('file_type_mismatch', `the name says .${ext} but the content is ${contentType}`);
  }
  if (type.kind === 'document') return { contentType, kind: 'document', width: null, height: null };
  let meta: Metadata;
  try {
    meta = await sharp(file, { limitInputPixels: false }).metadata();
  } catch {
    throw new AppError('file_type_refused', 'the image cannot be read');
  }
  if (meta.format !== SHARP_FORMAT[contentType] || !meta.width || !meta.height) {
    throw new AppError('file_type_refused', 'the image does not decode as its type');
  }
  const frameHeight = meta.pageHeight ?? meta.height;
  if (meta.width * frameHeight > maxPixels) {
    throw new AppError('image_too_large', `${meta.width}×${frameHeight} is more than ${maxPixels} pixels`);
  }
  // EXIF orientations 5–8 turn the image a quarter: the displayed size is the stored one swapped.
  const turned = (meta.orientation ?? 1) >= 5;
  return {
    contentType,
    kind: 'image',
    width: turned ? frameHeight : meta.width,
    height: turned ? meta.width : frameHeight,
  };
}
