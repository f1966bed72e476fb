// Starts the example CAS platform from the environment: CAS_URL (e.g. http://127.0.0.1:8080/cas),
// NAME, PORT (3100), PROXY=1 to ask for proxy tickets. Register it first:
//   npx tongxing client add --protocol cas --name 学籍档案 --service '^http://127\.0\.0\.1:3100/.*$' [--proxy]
import { startCasPlatform } from './platform.ts';

const platform = await startCasPlatform({
  casUrl: process.env.CAS_URL ?? 'http://127.0.0.1:8080/cas',
  name: process.env.NAME ?? '示例平台',
  port: Number(process.env.PORT ?? 3100),
  proxy: process.env.PROXY === '1',
});
console.log(`example CAS platform on ${platform.url}`);
