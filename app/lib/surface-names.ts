/**
 * The catalog's surfaces by id and name, for the host's settings menu. Names only: the formulas
 * and parameters live in lib/surfaces, which the room page does not load before the reveal.
 */
export const CATALOG_NAMES: readonly { readonly id: string; readonly name: string }[] = [
  { id: "booth", name: "Booth" },
  { id: "matyas", name: "Matyas" },
  { id: "neuron", name: "One sigmoid neuron (the seed's)" },
  { id: "ill-conditioned-bowl", name: "Tilted narrow bowl" },
  { id: "three-hump-camel", name: "Three-hump camel" },
  { id: "himmelblau", name: "Himmelblau" },
  { id: "saddle-pass", name: "Saddle pass" },
  { id: "six-hump-camel", name: "Six-hump camel" },
  { id: "styblinski-tang", name: "Styblinski–Tang" },
  { id: "rosenbrock", name: "Rosenbrock" },
  { id: "crescent-valley", name: "Crescent valley" },
  { id: "beale", name: "Beale" },
  { id: "plateau", name: "Plateau" },
  { id: "goldstein-price", name: "Goldstein–Price" },
  { id: "rastrigin", name: "Rastrigin" },
  { id: "ackley", name: "Ackley" },
];

/** The bot's difficulty levels: the optimizer it runs. */
export const BOT_LEVELS: readonly { readonly id: string; readonly name: string }[] = [
  { id: "gd", name: "Easy: plain gradient descent" },
  { id: "momentum", name: "Medium: momentum" },
  { id: "nesterov", name: "Medium: Nesterov" },
  { id: "rmsprop", name: "Hard: RMSprop" },
  { id: "adam", name: "Hard: Adam" },
  { id: "newton", name: "Expert: Newton's method" },
  { id: "none", name: "No bot" },
];

/** Human name of a bot optimizer id. */
export function botName(id: string): string {
  const names: Record<string, string> = {
    gd: "Gradient descent",
    momentum: "Momentum",
    nesterov: "Nesterov",
    rmsprop: "RMSprop",
    adam: "Adam",
    newton: "Newton",
  };
  return names[id] ?? id;
}
