/**
 * Branches as a person meets them in one tab: versions of a message with ‹ 2 / 3 ›, an inline
 * edit that can be cancelled, a delete that says how much goes with it, and a linked message.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { createRoot } from 'solid-js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Message } from '../../src/shared/protocol';
import { ChatView } from '../../src/ui/chat/ChatView';
import { StoreProvider } from '../../src/ui/context';
import { makeAppStore } from '../../src/ui/state/app-store';
import { conversation, makeFakeCore, message, replyStarted } from './fake-core';

afterEach(cleanup);
// jsdom does no layout: record where the view was asked to scroll instead.
const scrolledTo = vi.fn();
Element.prototype.scrollIntoView = function (this: Element) {
  scrolledTo((this as HTMLElement).dataset.id);
};

/** One question, answered three times (the third shown), and a follow-up under the first answer. */
const tree: Message[] = [
  message({ id: 'q', role: 'user', content: 'Question', createdAt: 1 }),
  message({ id: 'r1', parentId: 'q', content: 'First answer', createdAt: 2 }),
  message({ id: 'r2', parentId: 'q', content: 'Second answer', createdAt: 3 }),
  message({ id: 'r3', parentId: 'q', content: 'Third answer', createdAt: 4 }),
  message({ id: 'f', parentId: 'r1', role: 'user', content: 'Follow-up', createdAt: 5 }),
];

function renderChat(activeLeafId: string, messageId?: string) {
  const fake = makeFakeCore({ conversations: [conversation({ activeLeafId })], messages: tree });
  const store = createRoot(() => makeAppStore(fake.client));
  render(() => (
    <StoreProvider store={store}>
      <ChatView conversationId="c1" messageId={messageId} onMenu={() => undefined} />
    </StoreProvider>
  ));
  return fake;
}

const shown = () => screen.queryAllByTestId('message').map((article) => article.dataset.id);
const article = (id: string) => screen.getAllByTestId('message').find((candidate) => candidate.dataset.id === id)!;
const inside = (id: string, testId: string) => article(id).querySelector<HTMLElement>(`[data-testid="${testId}"]`);

describe('branches in the chat', () => {
  it('shows only the branch to the active leaf, with each message’s versions and a way to the others', async () => {
    const fake = renderChat('r3');
    await waitFor(() => expect(shown()).toEqual(['q', 'r3']));
    expect(article('r3').dataset.parentId).toBe('q');
    expect(inside('r3', 'branch-position')?.textContent).toBe('3 / 3');
    expect((inside('r3', 'branch-next') as HTMLButtonElement).disabled).toBe(true);
    expect(inside('q', 'branch-position')).toBeNull();

    fireEvent.click(inside('r3', 'branch-prev')!);
    await waitFor(() => expect(fake.api.switchBranch).toHaveBeenCalledWith('c1', 'r2'));
    // The core answers with the conversation showing the other branch; the tab follows it.
    fake.emit({ type: 'conversation-upsert', conversation: conversation({ activeLeafId: 'f' }) });
    await waitFor(() => expect(shown()).toEqual(['q', 'r1', 'f']));
    expect(inside('r1', 'branch-position')?.textContent).toBe('1 / 3');
  });

  it('edits a message in place: Cancel changes nothing, Save sends the edit as a new version', async () => {
    const fake = renderChat('r3');
    await waitFor(() => expect(shown()).toEqual(['q', 'r3']));
    fireEvent.click(inside('q', 'edit-message')!);
    const input = screen.getByTestId('edit-input') as HTMLTextAreaElement;
    expect(input.value).toBe('Question');
    fireEvent.input(input, { target: { value: 'Question, better' } });
    fireEvent.click(screen.getByTestId('edit-cancel'));
    expect(screen.queryByTestId('edit-input')).toBeNull();
    expect(inside('q', 'message-content')?.textContent).toBe('Question');
    expect(fake.api.editMessage).not.toHaveBeenCalled();

    fireEvent.click(inside('q', 'edit-message')!);
    fireEvent.input(screen.getByTestId('edit-input'), { target: { value: 'Question, better' } });
    fireEvent.click(screen.getByTestId('edit-save'));
    await waitFor(() => expect(fake.api.editMessage).toHaveBeenCalledWith('c1', 'q', 'Question, better'));
  });

  it('an edit the core refuses keeps the editor open with the rewritten text, and says why', async () => {
    const fake = renderChat('r3');
    await waitFor(() => expect(shown()).toEqual(['q', 'r3']));
    fake.api.editMessage.mockResolvedValueOnce({
      ok: false,
      error: { kind: 'busy', message: 'A reply is already being written.', retryable: false },
    } as never);
    fireEvent.click(inside('q', 'edit-message')!);
    fireEvent.input(screen.getByTestId('edit-input'), { target: { value: 'Question, rewritten with care' } });
    fireEvent.click(screen.getByTestId('edit-save'));
    await waitFor(() => expect(screen.getByTestId('chat-error').textContent).toContain('already being written'));
    expect((screen.getByTestId('edit-input') as HTMLTextAreaElement).value).toBe('Question, rewritten with care');
  });

  it('regenerates any reply, and deleting asks first, saying how many messages go with it', async () => {
    const fake = renderChat('f');
    await waitFor(() => expect(shown()).toEqual(['q', 'r1', 'f']));
    fireEvent.click(inside('r1', 'regenerate')!);
    await waitFor(() => expect(fake.api.regenerate).toHaveBeenCalledWith('c1', 'r1'));

    fireEvent.click(inside('q', 'delete-message')!);
    expect(article('q').textContent).toContain('Delete this message and the 4 below it?');
    expect(fake.api.deleteMessage).not.toHaveBeenCalled();
    fireEvent.click(inside('q', 'confirm-delete')!);
    await waitFor(() => expect(fake.api.deleteMessage).toHaveBeenCalledWith('c1', 'q'));
  });

  it('a link to a message on another branch shows that branch and marks the message', async () => {
    const fake = renderChat('r3', 'f');
    await waitFor(() => expect(fake.api.switchBranch).toHaveBeenCalledWith('c1', 'f'));
    fake.emit({ type: 'conversation-upsert', conversation: conversation({ activeLeafId: 'f' }) });
    await waitFor(() => expect(shown()).toEqual(['q', 'r1', 'f']));
    expect(article('f').dataset.highlighted).toBe('true');
    expect(article('r1').dataset.highlighted).toBeUndefined();
    await waitFor(() => expect(scrolledTo).toHaveBeenCalledWith('f'));
  });

  it('finished messages keep their DOM when a new exchange arrives, even if the new leaf is announced first', async () => {
    const fake = renderChat('r3');
    await waitFor(() => expect(shown()).toEqual(['q', 'r3']));
    const kept = article('r3');
    const block = kept.querySelector('.markdown-block');
    fake.emit({
      type: 'message-upsert',
      conversationId: 'c1',
      message: message({ id: 'n', parentId: 'r3', role: 'user', content: 'Next', createdAt: 6 }),
    });
    // The leaf is named before its message arrives: the view must not empty meanwhile.
    const [leaf, start] = replyStarted(message({ id: 'a', parentId: 'n', content: '', status: 'streaming', createdAt: 7 }));
    fake.emit(leaf);
    expect(kept.isConnected).toBe(true);
    fake.emit(start);
    await waitFor(() => expect(shown()).toEqual(['q', 'r3', 'n', 'a']));
    expect(kept.isConnected).toBe(true);
    expect(block?.isConnected).toBe(true);
  });
});
