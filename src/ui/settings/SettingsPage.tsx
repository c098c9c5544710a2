import type { JSX } from 'solid-js';
import { navigate } from '../router';
import { DataSection } from './DataSection';
import { DefaultModel } from './DefaultModel';
import { ProviderList } from './ProviderList';
import { StorageInfo } from './StorageInfo';
import { SyncSection } from '../sync/SyncSection';
import { ThemeSetting } from './ThemeSetting';
import './settings.css';

/** The `/settings` route: providers, the default model, the theme, storage, sync, and export and import. */
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

      <Section id="providers" title="Providers">
        <ProviderList />
      </Section>
      <Section id="models" title="Model">
        <DefaultModel />
      </Section>
      <Section id="appearance" title="Appearance">
        <ThemeSetting />
      </Section>
      <Section id="storage" title="Storage">
        <StorageInfo />
      </Section>
      <Section id="sync" title="Sync">
        <SyncSection />
      </Section>
      <Section id="data" title="Data">
        <DataSection />
      </Section>
    </div>
  );
}

/** One titled part of the page, labelled by its heading for screen readers. */
function Section(props: { id: string; title: string; children: JSX.Element }): JSX.Element {
  return (
    <section class="settings-section" aria-labelledby={`settings-${props.id}-heading`}>
      <h2 id={`settings-${props.id}-heading`}>{props.title}</h2>
      {props.children}
    </section>
  );
}
