import { createEffect, createMemo, createSignal, For, on, onCleanup, Show, type JSX } from 'solid-js';
import type { Model } from '../../shared/protocol';
import { formatPricing } from '../../shared/pricing';
import { useStore } from '../context';
import { formatContext, groupModels } from './model-filter';
import { isComposing } from '../keys';

interface Props {
  providerId: string;
  modelId: string;
  onPick: (model: Model) => void;
  /** Opens the list whenever it changes (after the first value). */
  openRequest?: number;
}

/** The conversation's model: a button that opens a searchable list grouped by provider. */
export function ModelPicker(props: Props): JSX.Element {
  const { state } = useStore();
  const [open, setOpen] = createSignal(false);
  const [query, setQuery] = createSignal('');
  const [active, setActive] = createSignal(0);
  let root: HTMLDivElement | undefined;
  let list: HTMLDivElement | undefined;
  /** Ids for the combobox wiring (one picker per header, but tests render several). */
  const listId = `model-list-${Math.random().toString(36).slice(2, 8)}`;
  const optionId = (position: number) => `${listId}-${position}`;

  const allModels = createMemo(() => Object.values(state.models).flat());
  const groups = createMemo(() => groupModels(allModels(), state.providers, state.settings.recentModels, query()));
  /**
   * A typed id that no list has (a model the provider doesn't list, or a local model loaded
   * since): offered as-is on the conversation's provider.
   */
  const customModel = createMemo((): Model | undefined => {
    const id = query().trim();
    const providerId = props.providerId || state.providers.find((provider) => provider.enabled)?.id;
    if (!id || /\s/.test(id) || !providerId) return undefined;
    if (allModels().some((model) => model.providerId === providerId && model.id === id)) return undefined;
    return { providerId, id, name: id, fetchedAt: 0 };
  });
  const flat = createMemo(() => [...groups().flatMap((group) => group.models), ...(customModel() ? [customModel()!] : [])]);
  /** Where each group starts in `flat`, for keyboard focus across groups. */
  const offsets = createMemo(() => {
    let total = 0;
    return groups().map((group) => {
      const start = total;
      total += group.models.length;
      return start;
    });
  });
  const current = () => allModels().find((model) => model.providerId === props.providerId && model.id === props.modelId);
  const label = () => current()?.name ?? (props.modelId || 'Choose a model');

  const close = () => {
    setOpen(false);
    setQuery('');
  };
  let trigger: HTMLButtonElement | undefined;
  const pick = (model: Model) => {
    props.onPick(model);
    close();
    trigger?.focus();
  };

  createEffect(
    on(
      () => props.openRequest,
      () => {
        setOpen(true);
        setActive(0);
      },
      { defer: true },
    ),
  );

  const onDocumentClick = (event: MouseEvent) => {
    if (open() && root && !root.contains(event.target as Node)) close();
  };
  document.addEventListener('mousedown', onDocumentClick);
  onCleanup(() => document.removeEventListener('mousedown', onDocumentClick));

  /** Move the highlight and keep it in view (the list scrolls; the focus stays where it is). */
  const moveTo = (position: number) => {
    setActive(position);
    list?.querySelector(`#${optionId(position)}`)?.scrollIntoView({ block: 'nearest' });
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const count = flat().length;
    if (event.key === 'ArrowDown') moveTo((active() + 1) % Math.max(count, 1));
    else if (event.key === 'ArrowUp') moveTo((active() - 1 + count) % Math.max(count, 1));
    else if (event.key === 'Enter' && !isComposing(event) && flat()[active()]) pick(flat()[active()]);
    else if (event.key === 'Escape') {
      event.stopPropagation();
      close();
      // The list (and the focus in it) is gone: back to the button that opened it.
      trigger?.focus();
    } else return;
    event.preventDefault();
  };

  return (
    <div class="model-picker" ref={root}>
      <button
        ref={trigger}
        class="button model-picker-button"
        data-testid="model-picker"
        aria-haspopup="listbox"
        aria-expanded={open()}
        title={current() ? `${current()!.name} (${current()!.id})` : undefined}
        onClick={() => {
          setOpen(!open());
          setActive(0);
        }}
      >
        <span class="model-picker-label">{label()}</span>
        <span aria-hidden="true">▾</span>
      </button>
      <Show when={open()}>
        <div class="model-popover" onKeyDown={onKeyDown}>
          <input
            class="model-search"
            type="search"
            placeholder="Search models"
            aria-label="Search models"
            role="combobox"
            aria-expanded="true"
            aria-controls={listId}
            aria-activedescendant={flat().length > 0 ? optionId(active()) : undefined}
            value={query()}
            ref={(element) => queueMicrotask(() => element.focus())}
            onInput={(event) => {
              setQuery(event.currentTarget.value);
              setActive(0);
            }}
          />
          {/* Focusable, so the keyboard can reach and scroll it (WCAG: scrollable regions). */}
          <div class="model-list" role="listbox" aria-label="Models" id={listId} tabindex="0" ref={list}>
            <Show
              when={flat().length > 0}
              fallback={
                <p class="model-empty">
                  {allModels().length ? 'No model matches.' : 'No models yet. Add a provider in Settings.'}
                </p>
              }
            >
              <Show when={customModel()}>
                {(model) => (
                  <div
                    role="option"
                    id={optionId(flat().length - 1)}
                    data-testid="model-option"
                    data-model-id={model().id}
                    data-provider-id={model().providerId}
                    aria-selected={false}
                    classList={{ 'model-option': true, active: active() === flat().length - 1 }}
                    onMouseEnter={() => setActive(flat().length - 1)}
                    onClick={() => pick(model())}
                  >
                    <span class="model-name">Use “{model().id}”</span>
                    <span class="model-details">A model id this provider doesn't list</span>
                  </div>
                )}
              </Show>
              <For each={groups()}>
                {(group, groupIndex) => (
                  <div role="group" aria-label={group.label}>
                    <div class="model-group-label">{group.label}</div>
                    <For each={group.models}>
                      {(model, modelIndex) => {
                        const position = () => offsets()[groupIndex()] + modelIndex();
                        const selected = () => model.providerId === props.providerId && model.id === props.modelId;
                        return (
                          <div
                            role="option"
                            id={optionId(position())}
                            data-testid="model-option"
                            data-model-id={model.id}
                            data-provider-id={model.providerId}
                            aria-selected={selected()}
                            classList={{ 'model-option': true, active: active() === position() }}
                            onMouseEnter={() => setActive(position())}
                            onClick={() => pick(model)}
                          >
                            <span class="model-name">{model.name}</span>
                            <span class="model-details">
                              {[
                                formatContext(model.contextLength),
                                formatPricing(model.pricing),
                                model.inputModalities?.includes('image') ? 'reads images' : undefined,
                              ]
                                .filter(Boolean)
                                .join(' · ')}
                            </span>
                          </div>
                        );
                      }}
                    </For>
                  </div>
                )}
              </For>
            </Show>
          </div>
        </div>
      </Show>
    </div>
  );
}
