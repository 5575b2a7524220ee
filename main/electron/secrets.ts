import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SafeStorage } from 'electron';
import { writeFileAtomic } from '../core/util/atomic-write.ts';
import { UserError } from '../core/util/errors.ts';

/**
 * Repository passwords kept encrypted by the OS keychain (Keychain, DPAPI, libsecret/kwallet)
 * through safeStorage. Where no keychain exists it says so instead of storing plain text.
 */
export class KeychainVault {
  private readonly safeStorage: SafeStorage;
  private readonly folder: string;

  constructor(safeStorage: SafeStorage, dataDir: string) {
    this.safeStorage = safeStorage;
    this.folder = join(dataDir, 'secrets');
  }

  available(): boolean {
    return this.safeStorage.isEncryptionAvailable() && this.safeStorage.getSelectedStorageBackend?.() !== 'basic_text';
  }

  async store(repositoryId: string, password: string): Promise<void> {
    if (!this.available()) {
      throw new UserError(
        'No keychain is available to keep the password encrypted (on Linux: GNOME Keyring or KWallet). Use a password file or command for this repository, or start a keyring.',
        { kind: 'unavailable' },
      );
    }
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
    await writeFileAtomic(join(this.folder, `${repositoryId}.keychain`), this.safeStorage.encryptString(password), 0o600);
  }

  async read(repositoryId: string): Promise<string | undefined> {
    try {
      return this.safeStorage.decryptString(await readFile(join(this.folder, `${repositoryId}.keychain`)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new UserError(
        `The password of repository "${repositoryId}" cannot be read from the keychain (${(error as Error).message}). Enter it again in Repositories.`,
        { kind: 'unavailable' },
      );
    }
  }
}
