import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../platform/config.ts';
import { DomainError } from '../../platform/errors.ts';

/**
 * Provider credentials are sealed with AES-256-GCM under a key derived (HKDF) from
 * COMPTOIR_SECRET_KEY. Outside production, without that variable, a random key kept
 * in the data directory stands in, so a demo works out of the box.
 */
export class Sealer {
  private key?: Buffer;

  constructor(private readonly config: Pick<Config, 'secretKey' | 'production' | 'dataDir'>) {}

  private material(): Buffer {
    if (this.key) return this.key;
    let secret = this.config.secretKey;
    if (!secret) {
      if (this.config.production) throw new DomainError('providers.secret_key_missing', 409);
      const file = path.join(this.config.dataDir, 'secret.key');
      if (!fs.existsSync(file)) {
        fs.mkdirSync(this.config.dataDir, { recursive: true });
        try {
          fs.writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        }
      }
      secret = fs.readFileSync(file, 'utf8').trim();
    }
    this.key = Buffer.from(hkdfSync('sha256', secret, 'comptoir', 'provider-credentials/v1', 32));
    return this.key;
  }

  seal(value: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.material(), iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  open<T>(sealed: string): T {
    const [v, iv, tag, body] = sealed.split('.');
    if (v !== 'v1' || !iv || !tag || !body) throw new Error('unknown sealed format');
    const decipher = createDecipheriv('aes-256-gcm', this.material(), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return JSON.parse(Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')) as T;
  }
}
