// The learning pages' styles now live in app/ui/app.css (block "Learning pages"), loaded on every
// page with the rest of Carnet's stylesheet. Kept empty for the pages that still inline it
// (a child's record, the children's activity list and quiz) until they drop the <style> tag.
export const learningCss = ''
