import { createContext, useContext } from 'react';
import type { Client } from './api/client.ts';

export const ClientContext = createContext<Client | null>(null);

export function useClient(): Client {
  const client = useContext(ClientContext);
  if (!client) throw new Error('no client');
  return client;
}

export function navigate(path: string): void {
  window.location.hash = `#${path}`;
}
