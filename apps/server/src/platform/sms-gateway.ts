import { maskPhone } from '@cds/domain';
import type { Config } from './config.ts';

/** Where one-time codes go. A city plugs in its operator's gateway; development writes them to the log. */
export interface SmsGateway {
  send(to: string, text: string): Promise<void>;
}

export function smsGatewayFrom(config: Pick<Config, 'smsGatewayUrl' | 'smsGatewayToken'>, log: (line: string) => void = console.log): SmsGateway {
  const url = config.smsGatewayUrl;
  if (!url) {
    return {
      async send(to, text) {
        log(`[SMS chưa cấu hình cổng gửi, chỉ ghi nhật ký] tới ${maskPhone(to)}: ${text}`);
      },
    };
  }
  return {
    async send(to, text) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(config.smsGatewayToken ? { authorization: `Bearer ${config.smsGatewayToken}` } : {}) },
        body: JSON.stringify({ to, text }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) throw new Error(`SMS gateway answered ${response.status}`);
    },
  };
}
