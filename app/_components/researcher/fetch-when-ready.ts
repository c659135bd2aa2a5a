// The 3D view's reads (mask, skeleton) come from an export job: the server waits for it a while and
// answers 503 + Retry-After when it takes longer. Ask again after Retry-After, a few times.
export async function fetchWhenReady(url: string, tries = 6): Promise<Response> {
  for (let i = 1; ; i++) {
    const r = await fetch(url);
    if (r.status !== 503 || i >= tries) return r;
    const seconds = Number(r.headers.get("retry-after")) || 2;
    await new Promise((res) => setTimeout(res, Math.min(30, Math.max(1, seconds)) * 1000));
  }
}
