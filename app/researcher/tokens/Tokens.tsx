"use client";
// A researcher's REST API tokens: create one (shown once: only its hash is stored), see when each was last
// used, revoke. Scripts send it as `Authorization: Bearer <token>`.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { ResearcherOnly } from "@/app/_components/researcher/ResearcherOnly";
import { useTRPC } from "@/app/_lib/trpc";

export function Tokens() {
  return (
    <ResearcherOnly>
      <p><Link href="/researcher">← Research</Link></p>
      <h1>API tokens</h1>
      <p className="muted">
        Scripts call the REST API (<a href="/api/v1/openapi.json">OpenAPI document</a>) with <code>Authorization: Bearer &lt;token&gt;</code>. A token
        acts as you: it reads your draft campaigns and their statistics. Public data needs no token.
      </p>
      <TokenList />
    </ResearcherOnly>
  );
}

function TokenList() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.apiToken.list.queryOptions());
  const create = useMutation(trpc.apiToken.create.mutationOptions());
  const revoke = useMutation(trpc.apiToken.revoke.mutationOptions());
  const [name, setName] = useState("");
  const [fresh, setFresh] = useState<{ name: string; token: string } | null>(null);
  const reload = () => qc.invalidateQueries({ queryKey: trpc.apiToken.list.queryKey() });
  async function submit(e: FormEvent) {
    e.preventDefault();
    const t = await create.mutateAsync({ name });
    setFresh({ name: t.name, token: t.token });
    setName("");
    await reload();
  }
  return (
    <>
      <form onSubmit={submit} className="card stack" aria-labelledby="new-token-h">
        <h2 id="new-token-h">New token</h2>
        <label>
          What is it for?
          <input required maxLength={60} value={name} onChange={(e) => setName(e.target.value)} data-testid="token-name" placeholder="e.g. nightly export" />
        </label>
        {create.error && <p role="alert">{create.error.message}</p>}
        <button type="submit" disabled={create.isPending} data-testid="token-create">Create token</button>
      </form>
      {fresh && (
        <div className="card" role="status" data-testid="token-fresh">
          <p>
            Your new token <strong>{fresh.name}</strong>. Copy it now: it is shown only once.
          </p>
          <p><code data-testid="token-value" style={{ userSelect: "all", wordBreak: "break-all" }}>{fresh.token}</code></p>
          <button type="button" className="secondary" onClick={() => void navigator.clipboard?.writeText(fresh.token)}>Copy</button>
        </div>
      )}
      <h2>Your tokens</h2>
      {!list.data?.length ? (
        <p className="muted">No tokens yet.</p>
      ) : (
        <table data-testid="token-list">
          <thead><tr><th scope="col">Name</th><th scope="col">Starts with</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Status</th></tr></thead>
          <tbody>
            {list.data.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td><code>{t.prefix}…</code></td>
                <td>{new Date(t.createdAt).toLocaleString()}</td>
                <td>{t.lastUsedAt ? new Date(t.lastUsedAt).toLocaleString() : "never"}</td>
                <td>
                  {t.revokedAt ? (
                    "revoked"
                  ) : (
                    <button type="button" className="link" aria-label={`Revoke ${t.name}`} onClick={async () => { await revoke.mutateAsync({ id: t.id }); await reload(); }}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
