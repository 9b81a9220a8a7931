import { RequestQueue } from './request-queue';

describe('RequestQueue', () => {
  it('is first-in first-out across compactions', () => {
    const queue = new RequestQueue<number>();
    for (let i = 0; i < 5000; i++) queue.push(i);
    for (let i = 0; i < 3000; i++) expect(queue.shift()).toBe(i);
    queue.push(5000);
    expect(queue.length).toBe(2001);
    expect(queue.drain()).toEqual(Array.from({ length: 2001 }, (_, i) => 3000 + i));
    expect(queue.shift()).toBeUndefined();
  });

  it('puts re-dispatched items back at the front in order', () => {
    const queue = new RequestQueue<string>();
    queue.push('c');
    queue.shift();
    queue.push('d');
    queue.unshiftAll(['a', 'b']);
    expect(queue.drain()).toEqual(['a', 'b', 'd']);
  });
});
