// The WeChat simulator's qrconnect page (wechat-simulator.ts): what open.weixin.qq.com shows,
// with the phone's part played by a form. A page of its own (no app layout, no script, no inline
// style) so it renders the same on the simulator's own server and inside the app.
import { renderToString } from 'preact-render-to-string';

const HIDDEN = ['appid', 'redirect_uri', 'response_type', 'scope', 'state'] as const;

function Shell(props: { title: string; children: preact.ComponentChildren }) {
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
      </head>
      <body>
        <a href="#main">跳到正文</a>
        <main id="main">{props.children}</main>
      </body>
    </html>
  );
}

export function qrconnectPage(props: { action: string; query: Record<string, string | undefined>; appId: string }): string {
  return (
    '<!doctype html>' +
    renderToString(
      <Shell title="微信登录（模拟器）">
        <h1>微信登录（模拟器）</h1>
        <p>
          网站应用 <code>{props.appId}</code> 请求使用微信登录。这是开发环境的微信模拟器：填写一个测试微信用户（同一名称即同一个微信用户），然后「扫码」确认。
        </p>
        <p>WeChat simulator (development only): pick a test WeChat user — the same name is the same person — then “scan” to confirm.</p>
        <form method="get" action={props.action} id="wechat-scan">
          {HIDDEN.map((name) => props.query[name] !== undefined && <input type="hidden" name={name} value={props.query[name]} />)}
          <p>
            <label for="wx-user">测试微信用户 / Test WeChat user</label>
            <br />
            <input id="wx-user" name="user" maxLength={64} value="wechat-user-1" autocomplete="off" />
          </p>
          <p>
            <label for="wx-nickname">微信昵称 / Nickname</label>
            <br />
            <input id="wx-nickname" name="nickname" maxLength={32} value="微信用户" autocomplete="off" />
          </p>
          <p>
            <input type="checkbox" id="wx-no-unionid" name="no_unionid" value="1" />{' '}
            <label for="wx-no-unionid">应用未绑定开放平台帐号（不返回 unionid，以 openid 为身份）/ No unionid</label>
          </p>
          <p>
            <button type="submit" name="action" value="allow" id="wx-allow">
              扫码并确认登录 / Scan and allow
            </button>{' '}
            <button type="submit" name="action" value="deny" id="wx-deny">
              取消 / Refuse
            </button>
          </p>
        </form>
      </Shell>,
    )
  );
}

export function qrconnectErrorPage(reason: string): string {
  return (
    '<!doctype html>' +
    renderToString(
      <Shell title="微信登录（模拟器）">
        <h1>请求参数错误</h1>
        <p id="wx-error">{reason}</p>
      </Shell>,
    )
  );
}
