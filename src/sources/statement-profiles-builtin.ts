/**
 * The built-in statement profiles as shipped data (src/data/profiles/*.json), in the order
 * detection tries them: specific layouts first, the generic one last. A new layout is a JSON
 * file there and one line here (statement-profile.ts validates them).
 */
import usCard from '../data/profiles/us-card.json' with { type: 'json' };
import fintechAccount from '../data/profiles/fintech-account.json' with { type: 'json' };
import cmbCreditCard from '../data/profiles/cn-cmb-credit-card.json' with { type: 'json' };
import deGiro from '../data/profiles/de-bank-giro.json' with { type: 'json' };
import frBank from '../data/profiles/fr-bank.json' with { type: 'json' };
import genericSimple from '../data/profiles/generic-simple.json' with { type: 'json' };
import frLaBanquePostale from '../data/profiles/fr-la-banque-postale.json' with { type: 'json' };
import frBnpParibas from '../data/profiles/fr-bnp-paribas.json' with { type: 'json' };
import frBnpParibas2024 from '../data/profiles/fr-bnp-paribas-2024.json' with { type: 'json' };
import frCreditMutuelMontant from '../data/profiles/fr-credit-mutuel-montant.json' with { type: 'json' };
import frCicComma from '../data/profiles/fr-cic-comma.json' with { type: 'json' };
import auNab from '../data/profiles/au-nab.json' with { type: 'json' };
import auMacquarie from '../data/profiles/au-macquarie.json' with { type: 'json' };
import auUp from '../data/profiles/au-up.json' with { type: 'json' };
import jpAmex from '../data/profiles/jp-amex.json' with { type: 'json' };
import jpSbiSumishin from '../data/profiles/jp-sbi-sumishin.json' with { type: 'json' };
import jpMoneyforwardMe from '../data/profiles/jp-moneyforward-me.json' with { type: 'json' };
import usAmex from '../data/profiles/us-amex.json' with { type: 'json' };
import usChaseLegacy from '../data/profiles/us-chase-legacy.json' with { type: 'json' };
import usCapitalOne from '../data/profiles/us-capital-one.json' with { type: 'json' };
import usCiti from '../data/profiles/us-citi.json' with { type: 'json' };
import hkHsbcCard from '../data/profiles/hk-hsbc-credit-card.json' with { type: 'json' };
import hkHsbcAccount from '../data/profiles/hk-hsbc-account.json' with { type: 'json' };
import caBmoCard from '../data/profiles/ca-bmo-credit-card.json' with { type: 'json' };
import deIng from '../data/profiles/de-ing.json' with { type: 'json' };
import wiseAccount from '../data/profiles/wise-account.json' with { type: 'json' };
import usBofaChecking from '../data/profiles/us-bofa-checking.json' with { type: 'json' };
import usWellsFargo from '../data/profiles/us-wells-fargo.json' with { type: 'json' };
import caTd from '../data/profiles/ca-td.json' with { type: 'json' };
import nlIng from '../data/profiles/nl-ing.json' with { type: 'json' };
import deDkb from '../data/profiles/de-dkb.json' with { type: 'json' };
import deSparkasseCamt from '../data/profiles/de-sparkasse-camt.json' with { type: 'json' };
import cnAlipay from '../data/profiles/cn-alipay.json' with { type: 'json' };
import cnWechatPay from '../data/profiles/cn-wechat-pay.json' with { type: 'json' };
import cnIcbcCreditCard from '../data/profiles/cn-icbc-credit-card.json' with { type: 'json' };
import cnBocCreditCard from '../data/profiles/cn-boc-credit-card.json' with { type: 'json' };
import cnCgbCreditCard from '../data/profiles/cn-cgb-credit-card.json' with { type: 'json' };
import ukMonzo from '../data/profiles/uk-monzo.json' with { type: 'json' };
import ukStarling from '../data/profiles/uk-starling.json' with { type: 'json' };
import ukBarclays from '../data/profiles/uk-barclays.json' with { type: 'json' };
import ukLloyds from '../data/profiles/uk-lloyds.json' with { type: 'json' };
import ukNationwideMidata from '../data/profiles/uk-nationwide-midata.json' with { type: 'json' };
import auCommbank from '../data/profiles/au-commbank.json' with { type: 'json' };
import inHdfc from '../data/profiles/in-hdfc.json' with { type: 'json' };
import caRbc from '../data/profiles/ca-rbc.json' with { type: 'json' };
import rampCard from '../data/profiles/ramp-card.json' with { type: 'json' };
import inAxis from '../data/profiles/in-axis.json' with { type: 'json' };
import auWestpac from '../data/profiles/au-westpac.json' with { type: 'json' };
import ukAmex from '../data/profiles/uk-amex.json' with { type: 'json' };
import ukHsbc from '../data/profiles/uk-hsbc.json' with { type: 'json' };
import deN26Legacy from '../data/profiles/de-n26-legacy.json' with { type: 'json' };
import euN26 from '../data/profiles/eu-n26.json' with { type: 'json' };
import deCommerzbank from '../data/profiles/de-commerzbank.json' with { type: 'json' };
import nlBunq from '../data/profiles/nl-bunq.json' with { type: 'json' };
import nlRabobank from '../data/profiles/nl-rabobank.json' with { type: 'json' };
import beKbc from '../data/profiles/be-kbc.json' with { type: 'json' };
import beKbcCreditCard from '../data/profiles/be-kbc-credit-card.json' with { type: 'json' };
import frBoursorama from '../data/profiles/fr-boursorama.json' with { type: 'json' };
import euRevolutBusiness from '../data/profiles/eu-revolut-business.json' with { type: 'json' };
import jpMufg from '../data/profiles/jp-mufg.json' with { type: 'json' };
import jpRakutenCard from '../data/profiles/jp-rakuten-card.json' with { type: 'json' };
import nlAbnAmro from '../data/profiles/nl-abn-amro.json' with { type: 'json' };
import beBnpParibasFortis from '../data/profiles/be-bnp-paribas-fortis.json' with { type: 'json' };
import beBelfius from '../data/profiles/be-belfius.json' with { type: 'json' };
import deVolksbank from '../data/profiles/de-volksbank.json' with { type: 'json' };
import deComdirect from '../data/profiles/de-comdirect.json' with { type: 'json' };
import deDeutscheBank from '../data/profiles/de-deutsche-bank.json' with { type: 'json' };
import deTargobank from '../data/profiles/de-targobank.json' with { type: 'json' };
import nlAsn from '../data/profiles/nl-asn.json' with { type: 'json' };
import ukMonzo2018 from '../data/profiles/uk-monzo-2018.json' with { type: 'json' };
import brexCard from '../data/profiles/brex-card.json' with { type: 'json' };
import jpSmbcVpass from '../data/profiles/jp-smbc-vpass.json' with { type: 'json' };
import ukBarclaycard from '../data/profiles/uk-barclaycard.json' with { type: 'json' };
import ukNationwide from '../data/profiles/uk-nationwide.json' with { type: 'json' };
import ukNatwest from '../data/profiles/uk-natwest.json' with { type: 'json' };
import itInbank from '../data/profiles/it-inbank.json' with { type: 'json' };
import itFineco from '../data/profiles/it-fineco.json' with { type: 'json' };
import itFinecoXlsx from '../data/profiles/it-fineco-xlsx.json' with { type: 'json' };
import esBbvaXlsx from '../data/profiles/es-bbva-xlsx.json' with { type: 'json' };
import esSantanderXlsx from '../data/profiles/es-santander-xlsx.json' with { type: 'json' };
import itIntesaSanpaoloXlsx from '../data/profiles/it-intesa-sanpaolo-xlsx.json' with { type: 'json' };
import itIntesaSanpaoloMovimentiXlsx from '../data/profiles/it-intesa-sanpaolo-movimenti-xlsx.json' with { type: 'json' };
import atEasybankCreditCard from '../data/profiles/at-easybank-credit-card.json' with { type: 'json' };
import atRaiffeisen from '../data/profiles/at-raiffeisen.json' with { type: 'json' };
import itBancoposta from '../data/profiles/it-bancoposta.json' with { type: 'json' };
import frBanquePopulaire from '../data/profiles/fr-banque-populaire.json' with { type: 'json' };
import frCreditMutuel from '../data/profiles/fr-credit-mutuel.json' with { type: 'json' };
import frSocieteGenerale from '../data/profiles/fr-societe-generale.json' with { type: 'json' };
import frShine from '../data/profiles/fr-shine.json' with { type: 'json' };
import frQonto from '../data/profiles/fr-qonto.json' with { type: 'json' };
import usMercury from '../data/profiles/us-mercury.json' with { type: 'json' };
import usDiscover from '../data/profiles/us-discover.json' with { type: 'json' };
import usAppleCard from '../data/profiles/us-apple-card.json' with { type: 'json' };
import caTangerine from '../data/profiles/ca-tangerine.json' with { type: 'json' };
import caCibcCreditCard from '../data/profiles/ca-cibc-credit-card.json' with { type: 'json' };
import sgPosb from '../data/profiles/sg-posb.json' with { type: 'json' };
import auIng from '../data/profiles/au-ing.json' with { type: 'json' };
import auBankwest from '../data/profiles/au-bankwest.json' with { type: 'json' };
import inIcici from '../data/profiles/in-icici.json' with { type: 'json' };
import sgOcbc from '../data/profiles/sg-ocbc.json' with { type: 'json' };
import frCreditAgricole from '../data/profiles/fr-credit-agricole.json' with { type: 'json' };
import usUsbank from '../data/profiles/us-usbank.json' with { type: 'json' };
import auAnz from '../data/profiles/au-anz.json' with { type: 'json' };

export const BUILTIN_PROFILE_JSON: unknown[] = [
  usCard,
  fintechAccount,
  cmbCreditCard,
  deGiro,
  frBank,
  usAmex,
  usChaseLegacy,
  usCapitalOne,
  usCiti,
  hkHsbcCard,
  hkHsbcAccount,
  caBmoCard,
  deIng,
  wiseAccount,
  usBofaChecking,
  usWellsFargo,
  caTd,
  nlIng,
  deDkb,
  deSparkasseCamt,
  cnAlipay,
  cnWechatPay,
  cnIcbcCreditCard,
  cnBocCreditCard,
  cnCgbCreditCard,
  ukMonzo,
  ukStarling,
  ukBarclays,
  ukLloyds,
  ukNationwideMidata,
  auCommbank,
  inHdfc,
  caRbc,
  rampCard,
  inAxis,
  auWestpac,
  ukAmex,
  ukHsbc,
  deN26Legacy,
  euN26,
  deCommerzbank,
  nlBunq,
  nlRabobank,
  beKbc,
  beKbcCreditCard,
  frBoursorama,
  euRevolutBusiness,
  jpMufg,
  jpRakutenCard,
  nlAbnAmro,
  beBnpParibasFortis,
  beBelfius,
  deVolksbank,
  deComdirect,
  deDeutscheBank,
  deTargobank,
  nlAsn,
  ukBarclaycard,
  ukNationwide,
  ukNatwest,
  ukMonzo2018,
  brexCard,
  jpSmbcVpass,
  itInbank,
  itFineco,
  itFinecoXlsx,
  esBbvaXlsx,
  esSantanderXlsx,
  itIntesaSanpaoloXlsx,
  itIntesaSanpaoloMovimentiXlsx,
  atEasybankCreditCard,
  atRaiffeisen,
  itBancoposta,
  frBanquePopulaire,
  frCreditMutuel,
  frSocieteGenerale,
  frShine,
  frQonto,
  usMercury,
  usDiscover,
  usAppleCard,
  caTangerine,
  caCibcCreditCard,
  sgPosb,
  auIng,
  auBankwest,
  inIcici,
  sgOcbc,
  frCreditAgricole,
  auNab,
  auMacquarie,
  auUp,
  jpAmex,
  jpSbiSumishin,
  jpMoneyforwardMe,
  usUsbank,
  auAnz,
  frLaBanquePostale,
  frBnpParibas,
  frBnpParibas2024,
  frCreditMutuelMontant,
  frCicComma,
  genericSimple,
];
