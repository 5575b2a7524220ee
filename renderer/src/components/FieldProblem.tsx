import type { Problem } from '../../../main/api/contract.ts';
import { type JsonPath, problemsAt } from '../problem-path.ts';

/** The engine's sentences for one field, shown right next to it; `at` picks the field's own from a longer list. */
export function FieldProblems({ problems, at }: { problems: Problem[]; at?: JsonPath | undefined }) {
  const shown = at === undefined ? problems : problemsAt(problems, at);
  return (
    <>
      {shown.map((problem) => (
        <p key={problem.path + problem.message} className="problem" role="alert">
          {problem.message}
        </p>
      ))}
    </>
  );
}
