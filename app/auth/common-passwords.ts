// Passwords that appear at the top of public breach corpora (French and English), plus
// keyboard walks, in lower case. Short ones are refused by length anyway; these are the
// ones long enough to pass it.
const LIST = `
123456789012 1234567890123 12345678901234 1234567891011 password1234 password12345 motdepasse123
motdepasse1234 motdepasse2024 motdepasse2025 motdepasse2026 azertyuiop123 azertyuiopqsd azertyuiopqsdf
azertyuiopqsdfghjklm qwertyuiop123 qwertyuiopasdf qwertyuiopasdfghjkl 1qaz2wsx3edc 1qaz2wsx3edc4rfv
qazwsxedcrfv abcdefghijkl abcdef123456 iloveyou1234 jetaime123456 jetaimeplus soleil123456 bonjour123456
motdepassefort motdepasse motdepassesecret monmotdepasse monmotdepasse123 passwordpassword
passw0rd1234 p@ssw0rd1234 p@ssword1234 welcome12345 welcome123456 letmein12345 administrator
administrateur admin1234567 admin12345678 changeme1234 changezmoi123 football1234 princesse123
carnet123456 carnetcarnet ecole1234567 ecolecarnet bienvenue123 bienvenue1234 marseille1234
liverpool1234 superman1234 batman123456 dragon123456 starwars1234 sunshine1234 chocolat1234
0000000000000 111111111111 123123123123 121212121212 987654321098 147258369147 789456123789
qwerty123456 azerty123456 azertyazerty qwertyqwerty aaaaaaaaaaaa trustno11234 mypassword123
correcthorsebatterystaple thequickbrownfox
`
export const COMMON_PASSWORDS = new Set(LIST.split(/\s+/).filter(Boolean))
