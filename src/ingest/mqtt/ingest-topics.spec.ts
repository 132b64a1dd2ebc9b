import { parseTopic, plainTopic, subscriptionFilters } from 'src/ingest/mqtt/ingest-topics';

describe('ingest topics', () => {
  it('reads the organisation and device of a plain topic, under any prefix', () => {
    expect(parseTopic('vgds/goteborg/beach-7/attrs', 'vgds')).toEqual({ kind: 'plain', organisation: 'goteborg', deviceId: 'beach-7' });
    expect(parseTopic('city/vgds/boras/t1/attrs', 'city/vgds')).toEqual({ kind: 'plain', organisation: 'boras', deviceId: 't1' });
    expect(parseTopic(plainTopic('vgds', 'a', 'b'), 'vgds')).toEqual({ kind: 'plain', organisation: 'a', deviceId: 'b' });
  });

  it('reads the application and DevEUI of a ChirpStack uplink topic, DevEUI in lower case', () => {
    expect(parseTopic('application/7f1c/device/0102030405ABCDEF/event/up', 'vgds')).toEqual({
      kind: 'chirpstack',
      applicationId: '7f1c',
      devEui: '0102030405abcdef',
    });
  });

  it('ignores other topics', () => {
    for (const topic of ['vgds/goteborg/attrs', 'vgds/goteborg/x/y/attrs', 'vgds//x/attrs', 'other/a/b/attrs', 'application/1/device/2/event/join', 'application/1/device//event/up']) {
      expect(parseTopic(topic, 'vgds')).toBeUndefined();
    }
  });

  it('subscribes to plain and ChirpStack topics, shared when asked', () => {
    expect(subscriptionFilters('vgds', true)).toEqual(['vgds/+/+/attrs', 'application/+/device/+/event/up']);
    expect(subscriptionFilters('vgds', false, 'vg-datashare')).toEqual(['$share/vg-datashare/vgds/+/+/attrs']);
  });
});
