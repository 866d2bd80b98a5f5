import type { ComponentHealth } from '../components/component-runner.js';
import { httpGet } from './http-get.js';

/** Healthy when `GET <url>` answers 200; otherwise the status and the start of the body, or why it did not answer. */
export async function httpHealth(url: string, timeoutMs: number): Promise<ComponentHealth> {
  try {
    const answer = await httpGet(url, { timeoutMs });
    if (answer.status === 200) return { healthy: true };
    return { healthy: false, detail: `${new URL(url).pathname} answered ${answer.status}: ${answer.body.slice(0, 300)}` };
  } catch (error) {
    return { healthy: false, detail: (error as Error).message };
  }
}
