// The starter set of skills a school gets: a short reading of the French curriculum's
// competences for cycles 1 (maternelle), 2 (CP–CE2) and 3 (CM1–6e). Schools edit, archive and
// add to it; codes are stable keys within a school.
export type StarterSkill = { code: string; domain: string; cycle: 1 | 2 | 3; label: string }

export const STARTER_SKILLS: readonly StarterSkill[] = [
  // Cycle 1
  { cycle: 1, code: 'C1-LANG-1', domain: 'Langage', label: 'Oser entrer en communication' },
  { cycle: 1, code: 'C1-LANG-2', domain: 'Langage', label: 'Comprendre et apprendre à l’oral' },
  { cycle: 1, code: 'C1-LANG-3', domain: 'Langage', label: 'Découvrir la fonction de l’écrit' },
  { cycle: 1, code: 'C1-LANG-4', domain: 'Langage', label: 'Commencer à écrire tout seul (son prénom)' },
  { cycle: 1, code: 'C1-PHYS-1', domain: 'Activité physique', label: 'Agir, s’exprimer, comprendre à travers l’activité physique' },
  { cycle: 1, code: 'C1-ART-1', domain: 'Activités artistiques', label: 'Pratiquer le dessin, le chant, le rythme' },
  { cycle: 1, code: 'C1-MATH-1', domain: 'Mathématiques', label: 'Utiliser les nombres jusqu’à 10 pour dénombrer' },
  { cycle: 1, code: 'C1-MATH-2', domain: 'Mathématiques', label: 'Explorer des formes, des grandeurs, des suites organisées' },
  { cycle: 1, code: 'C1-MONDE-1', domain: 'Explorer le monde', label: 'Se repérer dans le temps et l’espace' },
  { cycle: 1, code: 'C1-MONDE-2', domain: 'Explorer le monde', label: 'Explorer le vivant, les objets et la matière' },
  // Cycle 2
  { cycle: 2, code: 'C2-FR-LIRE-1', domain: 'Français', label: 'Identifier des mots de plus en plus aisément' },
  { cycle: 2, code: 'C2-FR-LIRE-2', domain: 'Français', label: 'Comprendre un texte et contrôler sa compréhension' },
  { cycle: 2, code: 'C2-FR-LIRE-3', domain: 'Français', label: 'Lire à voix haute' },
  { cycle: 2, code: 'C2-FR-ECR-1', domain: 'Français', label: 'Copier de manière experte' },
  { cycle: 2, code: 'C2-FR-ECR-2', domain: 'Français', label: 'Produire des écrits' },
  { cycle: 2, code: 'C2-FR-ORAL-1', domain: 'Français', label: 'Écouter pour comprendre des messages oraux' },
  { cycle: 2, code: 'C2-FR-LANG-1', domain: 'Français', label: 'Maîtriser les relations entre l’oral et l’écrit' },
  { cycle: 2, code: 'C2-FR-LANG-2', domain: 'Français', label: 'Identifier les constituants d’une phrase simple' },
  { cycle: 2, code: 'C2-MA-NOMB-1', domain: 'Mathématiques', label: 'Dénombrer, ordonner, comparer des nombres entiers' },
  { cycle: 2, code: 'C2-MA-NOMB-2', domain: 'Mathématiques', label: 'Calculer avec des nombres entiers' },
  { cycle: 2, code: 'C2-MA-NOMB-3', domain: 'Mathématiques', label: 'Résoudre des problèmes avec des nombres entiers' },
  { cycle: 2, code: 'C2-MA-GRAND-1', domain: 'Mathématiques', label: 'Comparer, estimer, mesurer longueurs, masses, durées' },
  { cycle: 2, code: 'C2-MA-GEOM-1', domain: 'Mathématiques', label: 'Reconnaître, nommer, reproduire solides et figures' },
  { cycle: 2, code: 'C2-QM-1', domain: 'Questionner le monde', label: 'Questionner le vivant, la matière et les objets' },
  { cycle: 2, code: 'C2-EMC-1', domain: 'Enseignement moral et civique', label: 'Respecter autrui' },
  // Cycle 3
  { cycle: 3, code: 'C3-FR-LIRE-1', domain: 'Français', label: 'Lire avec fluidité' },
  { cycle: 3, code: 'C3-FR-LIRE-2', domain: 'Français', label: 'Comprendre un texte littéraire et l’interpréter' },
  { cycle: 3, code: 'C3-FR-ECR-1', domain: 'Français', label: 'Écrire des textes en s’appropriant une démarche' },
  { cycle: 3, code: 'C3-FR-ORAL-1', domain: 'Français', label: 'Parler en prenant en compte son auditoire' },
  { cycle: 3, code: 'C3-FR-LANG-1', domain: 'Français', label: 'Maîtriser l’orthographe grammaticale (accords)' },
  { cycle: 3, code: 'C3-FR-LANG-2', domain: 'Français', label: 'Acquérir la structure, le sens et l’orthographe des mots' },
  { cycle: 3, code: 'C3-MA-NOMB-1', domain: 'Mathématiques', label: 'Utiliser grands nombres, fractions simples et décimaux' },
  { cycle: 3, code: 'C3-MA-NOMB-2', domain: 'Mathématiques', label: 'Calculer avec des nombres entiers et décimaux' },
  { cycle: 3, code: 'C3-MA-NOMB-3', domain: 'Mathématiques', label: 'Résoudre des problèmes (fractions, décimaux, calcul)' },
  { cycle: 3, code: 'C3-MA-GRAND-1', domain: 'Mathématiques', label: 'Comparer, estimer, mesurer des grandeurs géométriques' },
  { cycle: 3, code: 'C3-MA-GEOM-1', domain: 'Mathématiques', label: 'Reconnaître et tracer des figures et des solides' },
  { cycle: 3, code: 'C3-SCI-1', domain: 'Sciences et technologie', label: 'Matière, mouvement, énergie, information' },
  { cycle: 3, code: 'C3-HG-1', domain: 'Histoire et géographie', label: 'Se repérer dans le temps : construire des repères historiques' },
  { cycle: 3, code: 'C3-LV-1', domain: 'Langues vivantes', label: 'Comprendre l’oral dans une langue étrangère' },
  { cycle: 3, code: 'C3-EMC-1', domain: 'Enseignement moral et civique', label: 'Respecter autrui et accepter les différences' },
]
