
BoutputJ(%U¼<Ž‰½R'>;³Œ=!\p½,f]½iWE½,ié=®ÃW><Îd>