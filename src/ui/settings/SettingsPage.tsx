import type { JSX } from 'solid-js';
import { navigate } from '../router';
import { DataSection } from './DataSection';
import { DefaultModel } from './DefaultModel';
import { ProviderList } from './ProviderList';
import { StorageInfo } from './StorageInfo';
import { ThemeSetting } from './ThemeSetting';
import './settings.css';

/** The `/settings` route: providers, the default model, the theme, storage, and export and import. */
export function SettingsPage(): JSX.Element {
  return (
    <div class="settings-page">
      <header class="settings-header">
        <a
          class="settings-back"
          href="/"
          onClick={(event) => {
            event.preventDefault();
            navigate('/');
          }}
        >
          ← Back to chat
        </a>
        <h1>Settings</h1>
      </header>

      <section class="settings-section" aria-labelledby="settings-providers-heading">
        <h2 id="settings-providers-heading">Providers</h2>
        <ProviderList />
      </section>

      <section class="settings-section" aria-labelledby="settings-models-heading">
        <h2 id="settings-models-heading">Model</h2>
        <DefaultModel />
      </section>

      <section class="settings-section" aria-labelledby="settings-appearance-heading">
        <h2 id="settings-appearance-heading">Appearance</h2>
        <ThemeSetting />
      </section>

      <section class="settings-section" aria-labelledby="settings-storage-heading">
        <h2 id="settings-storage-heading">Storage</h2>
        <StorageInfo />
      </section>

      <section class="settings-section" aria-labelledby="settings-data-heading">
        <h2 id="settings-data-heading">Data</h2>
        <DataSection />
      </section>
    </div>
  );
}
