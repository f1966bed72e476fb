// Starts the example platform from the environment:
//   TONGXING_ISSUER (e.g. http://127.0.0.1:8080/oidc), CLIENT_ID, CLIENT_SECRET (from
//   `tongxing client add --redirect-uri http://127.0.0.1:3000/callback --post-logout-uri
//   http://127.0.0.1:3000/ --backchannel-logout-uri http://127.0.0.1:3000/backchannel-logout
//   --webhook-url http://127.0.0.1:3000/webhooks …`), PORT (3000).
import { startPlatform } from './platform.ts';

const port = Number(process.env.PORT ?? 3000);
const issuer = process.env.TONGXING_ISSUER ?? 'http://127.0.0.1:8080/oidc';
const platform = await startPlatform(
  {
    issuer,
    clientId: process.env.CLIENT_ID ?? '',
    clientSecret: process.env.CLIENT_SECRET ?? '',
    baseUrl: `http://127.0.0.1:${port}`,
    allowHttp: issuer.startsWith('http:'),
  },
  port,
);
console.log(`example platform on ${platform.url}`);
