// Writes FILE.br (brotli, quality 11) and FILE.gz (gzip, level 9) beside every text and wasm
// file of DIR, so the server sends them as they are (tower-http's precompressed files) instead
// of compressing each answer on the fly at its fast default levels: the main build's wasm goes
// from about 470 KB (on-the-fly brotli) or 520 KB (on-the-fly gzip) to 340 KB or 450 KB. Run
// last by scripts/lib.sh (build_client), after stamp-sw.mjs, or by hand:
//   node app/build/precompress.mjs dist
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node precompress.mjs DIR");
  process.exit(2);
}

const COMPRESSIBLE = /\.(wasm|js|mjs|css|html|svg|json|webmanifest|txt)$/;

function walk(d) {
  return readdirSync(d).flatMap((name) => {
    const p = join(d, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

let raw = 0;
let br = 0;
let gz = 0;
let count = 0;
for (const file of walk(dir).filter((f) => COMPRESSIBLE.test(f))) {
  const bytes = readFileSync(file);
  const brotli = brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_LGWIN]: 22,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
  const gzip = gzipSync(bytes, { level: 9 });
  // A file that does not shrink is sent as it is (the server falls back to it).
  if (brotli.length < bytes.length) writeFileSync(file + ".br", brotli);
  if (gzip.length < bytes.length) writeFileSync(file + ".gz", gzip);
  raw += bytes.length;
  br += Math.min(brotli.length, bytes.length);
  gz += Math.min(gzip.length, bytes.length);
  count += 1;
}
console.log(`precompressed ${count} files: ${raw} bytes, ${br} brotli, ${gz} gzip`);
