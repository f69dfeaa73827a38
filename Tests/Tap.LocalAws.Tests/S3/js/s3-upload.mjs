// Uploads a file with lib-storage's Upload (parts of 5 MiB, SHA-256 checksums: what the CDK's asset publishing
// sends), reads it back, and prints what S3 answered as one JSON line.
// Usage: node s3-upload.mjs ENDPOINT BUCKET KEY FILE   (credentials and region from the environment)
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { S3Client, GetObjectCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";

const [endpoint, bucket, key, file] = process.argv.slice(2);
const client = new S3Client({ endpoint, forcePathStyle: true, maxAttempts: 1 });
const body = await readFile(file);

const upload = new Upload({
  client,
  partSize: 5 * 1024 * 1024,
  params: { Bucket: bucket, Key: key, Body: body, ChecksumAlgorithm: "SHA256" },
});
const uploaded = await upload.done();

const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: "ENABLED" }));
const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
const bytes = Buffer.from(await got.Body.transformToByteArray());
const sha256 = (data) => createHash("sha256").update(data).digest("hex");

console.log(JSON.stringify({
  etag: uploaded.ETag,
  checksumSha256: head.ChecksumSHA256 ?? null,
  contentLength: head.ContentLength,
  identical: sha256(bytes) === sha256(body),
}));
