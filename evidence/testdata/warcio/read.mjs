// read.mjs prints one JSON line per record of a WARC file, as read by
// warcio.js, an implementation independent of tidewatch's own reader. The
// evidence package's tests compare its output with what they wrote.
//
// usage: node read.mjs FILE.warc.gz
//
// warcio.js parses records but does not check digests, so this script
// recomputes them with node's crypto: blockSha256 over the raw block (a
// pass with parseHttp off) and payloadSha256 over the HTTP payload as
// warcio.js splits it from the HTTP header (a pass with parseHttp on).
import { createReadStream } from "node:fs";
import { createHash } from "node:crypto";
import { WARCParser } from "warcio";

const file = process.argv[2];
if (!file) {
  console.error("usage: node read.mjs FILE.warc.gz");
  process.exit(2);
}

const sha256 = (buf) => createHash("sha256").update(buf).digest("hex");

async function pass(parseHttp, each) {
  const parser = new WARCParser(createReadStream(file), { parseHttp });
  let i = 0;
  for await (const record of parser) {
    await each(i++, record);
  }
}

const out = [];
await pass(false, async (i, record) => {
  const h = record.warcHeaders.headers;
  const block = await record.readFully(false);
  out[i] = {
    version: record.warcHeaders.protocol,
    type: record.warcType,
    uri: record.warcTargetURI ?? null,
    id: h.get("WARC-Record-ID"),
    date: record.warcDate,
    concurrentTo: record.warcConcurrentTo ?? null,
    ip: h.get("WARC-IP-Address"),
    contentType: record.warcContentType,
    contentLength: record.warcContentLength,
    blockDigest: record.warcBlockDigest ?? null,
    payloadDigest: record.warcPayloadDigest ?? null,
    blockLength: block.length,
    blockSha256: sha256(block),
  };
});
await pass(true, async (i, record) => {
  const payload = await record.readFully(false);
  out[i].payloadSha256 = sha256(payload);
  out[i].httpStatus = record.httpHeaders?.statusCode ?? null;
  out[i].httpContentLength = record.httpHeaders?.headers.get("Content-Length") ?? null;
});
for (const r of out) {
  console.log(JSON.stringify(r));
}
