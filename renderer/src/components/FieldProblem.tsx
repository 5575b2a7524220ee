import type { Problem } from '../../../main/api/contract.ts';

/** The engine's sentences for one field, shown right next to it. */
export function FieldProblems({ problems }: { problems: Problem[] }) {
  return (
    <>
      {problems.map((problem) => (
        <p key={problem.path + problem.message} className="problem" role="alert">
          {problem.message}
        </p>
      ))}
    </>
  );
}

/** Something worth knowing that does not block saving (a folder that is not there yet). */
export function FieldWarning({ text }: { text: string | undefined }) {
  if (!text) return null;
  return <p className="field-warning">⚠ {text}</p>;
}
