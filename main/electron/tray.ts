import { join } from 'node:path';
import { Menu, nativeImage, nativeTheme, Tray } from 'electron';
import type { PlanSummary } from '../api/contract.ts';
import { type TrayActions, type TrayIcon, type TrayState, trayMenu, trayState } from './tray-state.ts';

/** The tray icon, its tooltip and its menu, rebuilt whenever the state changes. */
export class TrayController {
  private readonly tray: Tray;
  private readonly iconsDir: string;
  private readonly actions: TrayActions;
  private current: TrayState | undefined;

  constructor(iconsDir: string, actions: TrayActions) {
    this.iconsDir = iconsDir;
    this.actions = actions;
    this.tray = new Tray(this.image('idle'));
    // Left click opens the window where the platform reports it (Windows, macOS, some Linux panels).
    this.tray.on('click', () => actions.openWindow());
  }

  get state(): TrayState | undefined {
    return this.current;
  }

  update(plans: PlanSummary[], paused: { until: string | null } | null, now = new Date()): TrayState {
    const state = trayState(plans, paused, now);
    this.current = state;
    this.tray.setImage(this.image(state.icon));
    this.tray.setToolTip(state.tooltip);
    this.tray.setContextMenu(Menu.buildFromTemplate(trayMenu(state, plans, paused !== null, this.actions)));
    return state;
  }

  destroy(): void {
    this.tray.destroy();
  }

  /** Light icons on dark panels and the other way round; @2x files are picked up for HiDPI. */
  private image(icon: TrayIcon) {
    const theme = nativeTheme.shouldUseDarkColors ? 'light' : 'dark';
    return nativeImage.createFromPath(join(this.iconsDir, `tray-${icon}-${theme}.png`));
  }
}
