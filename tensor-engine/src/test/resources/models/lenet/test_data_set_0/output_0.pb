
BoutputJ(1£'=S«û=r.S½Htg<äÂ¼pn;A\‡½¾=T…R½zj=