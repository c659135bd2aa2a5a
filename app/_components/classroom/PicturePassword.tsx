"use client";
// A picture password: pick 3 pictures in order from a grid of 12. Each picture is a real button with a
// name, so it works with a keyboard, a screen reader, a mouse or a finger.
import { PICTURE_PASSWORD_LENGTH, PICTURES } from "@/core/class-secret";
import { PictureIcon } from "./PictureIcon";

export function PicturePassword({ value, onChange, legend = "Your picture password" }: { value: string[]; onChange: (v: string[]) => void; legend?: string }) {
  const full = value.length >= PICTURE_PASSWORD_LENGTH;
  return (
    <fieldset className="pictures">
      <legend>{legend}: pick {PICTURE_PASSWORD_LENGTH} pictures in order</legend>
      <p className="picked" aria-live="polite" data-testid="pictures-picked">
        {value.length === 0 ? (
          <span className="muted">No pictures picked yet</span>
        ) : (
          value.map((id, i) => {
            const p = PICTURES.find((x) => x.id === id)!;
            return (
              <span key={i} className="picked-one">
                <PictureIcon id={p.id} size={24} /> {p.label}
              </span>
            );
          })
        )}
      </p>
      <div className="picture-grid">
        {PICTURES.map((p) => (
          <button key={p.id} type="button" className="picture" disabled={full} onClick={() => onChange([...value, p.id])} aria-label={p.label}>
            <PictureIcon id={p.id} />
            <span className="picture-name">{p.label}</span>
          </button>
        ))}
      </div>
      <button type="button" className="secondary" onClick={() => onChange([])} disabled={value.length === 0}>
        Start again
      </button>
    </fieldset>
  );
}

/** PIN or pictures, chosen with two radio buttons; reports { kind, value } upwards. */
export function SecretInput({
  kind,
  onKind,
  pin,
  onPin,
  pictures,
  onPictures,
  newSecret,
}: {
  kind: "PIN" | "PICTURE";
  onKind: (k: "PIN" | "PICTURE") => void;
  pin: string;
  onPin: (v: string) => void;
  pictures: string[];
  onPictures: (v: string[]) => void;
  newSecret: boolean;
}) {
  return (
    <>
      <fieldset className="choice">
        <legend>{newSecret ? "How do you want to sign in next time?" : "How do you sign in?"}</legend>
        <label className="inline">
          <input type="radio" name="secret-kind" checked={kind === "PICTURE"} onChange={() => onKind("PICTURE")} /> Picture password
        </label>
        <label className="inline">
          <input type="radio" name="secret-kind" checked={kind === "PIN"} onChange={() => onKind("PIN")} /> PIN (4 to 6 digits)
        </label>
      </fieldset>
      {kind === "PIN" ? (
        <label>
          {newSecret ? "Choose a PIN (4 to 6 digits)" : "Your PIN"}
          <input
            name="pin"
            type="password"
            inputMode="numeric"
            autoComplete={newSecret ? "new-password" : "current-password"}
            pattern="[0-9]{4,6}"
            minLength={4}
            maxLength={6}
            required
            value={pin}
            onChange={(e) => onPin(e.target.value.replace(/\D/g, ""))}
          />
        </label>
      ) : (
        <PicturePassword value={pictures} onChange={onPictures} legend={newSecret ? "Choose a picture password" : "Your picture password"} />
      )}
    </>
  );
}
