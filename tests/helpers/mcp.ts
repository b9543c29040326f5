/** A real MCP client (the SDK's) talking to a spawned `baton mcp` over stdio. */
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { BATON_BIN, GIT_ENV } from './git-repo.js';

export interface Answer {
  isError: boolean;
  value: Record<string, unknown> & { error?: string };
  text: string;
}

export interface Mcp {
  client: Client;
  /** Call a tool; its text answer parsed as JSON. */
  call(name: string, args?: Record<string, unknown>): Promise<Answer>;
  /** What the server wrote to stderr so far. */
  stderr(): string;
  close(): Promise<void>;
}

/** Start `baton -C dir mcp [--agent agent]` and connect the SDK's client to it. */
export async function startMcp(
  dir: string,
  agent?: string,
  env: Record<string, string> = {},
): Promise<Mcp> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BATON_BIN, '-C', dir, 'mcp', ...(agent ? ['--agent', agent] : [])],
    env: { ...(process.env as Record<string, string>), ...GIT_ENV, BATON_AGENT: '', ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  const client = new Client({ name: 'baton-tests', version: '1.0.0' });
  // a line on stdout that is not protocol would surface here
  const protocolErrors: unknown[] = [];
  client.onerror = (error) => protocolErrors.push(error);
  await client.connect(transport);
  return {
    client,
    async call(name, args = {}) {
      const r = await client.callTool({ name, arguments: args });
      const content = r.content as { type: string; text: string }[];
      const text = content[0]?.text ?? '';
      let value: Answer['value'];
      try {
        value = JSON.parse(text) as Answer['value'];
      } catch {
        value = { text };
      }
      if (protocolErrors.length > 0) throw protocolErrors[0];
      return { isError: r.isError === true, value, text };
    },
    stderr: () => stderr,
    async close() {
      await client.close();
      if (protocolErrors.length > 0) throw protocolErrors[0];
    },
  };
}
